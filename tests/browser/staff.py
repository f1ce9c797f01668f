"""What browser tests do as staff."""


def log_in(page, base_url: str, user) -> None:
    """Log in to the admin through its form, as staff do (the test users' password is "pw")."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
