"""An editor at the admin over plain HTTP, as a browser does it: the login form with its CSRF
token, then the story's change form sent back with every field it holds (for `load_test`)."""

import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookies import SimpleCookie


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 after a POST is the answer we want to see


class FormFields(HTMLParser):
    """The name/value pairs a browser would submit for the first form with `form_id`:
    inputs (checked boxes only), selected options and textareas; not the inline formsets'
    blank templates (`__prefix__`)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "__prefix__" in (attrs.get("name") or ""):
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            self.fields.append((name, text.removeprefix("\n")))  # as browsers read it
            self._textarea = None


class AdminEditor:
    """One logged-in staff member with their own cookies, behind the TLS proxy production
    runs behind: requests say `X-Forwarded-Proto: https` (so the Secure cookies and the
    CSRF origin check apply as in production) and carry the cookies a browser would."""

    def __init__(self, base_url: str, timeout: float = 60):
        self.base, self.timeout = base_url, timeout
        self.origin = "https://" + urllib.parse.urlsplit(base_url).netloc
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirects())

    def request(self, path: str, fields: list | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": self.origin + path,
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return self._answer(response)
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
            return self._answer(answer)

    def _answer(self, response) -> tuple[int, str]:
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.read().decode(errors="replace")

    def form(self, path: str, form_id: str) -> list:
        status, html = self.request(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        parser = FormFields(form_id)
        parser.feed(html)
        return parser.fields

    def log_in(self, username: str, password: str) -> None:
        fields = [f for f in self.form("/admin/login/", "login-form") if f[0] not in (
            "username", "password")]  # fmt: skip
        fields += [("username", username), ("password", password)]
        status, _ = self.request("/admin/login/?next=/admin/", fields)
        if status != 302:
            raise RuntimeError(f"{username} could not log in ({status})")

    def change_form(self, model_path: str, pk: int) -> list:
        return self.form(f"/admin/{model_path}/{pk}/change/", f"{model_path.split('/')[1]}_form")


def replace(fields: list, name: str, value: str) -> list:
    """The form's fields with `name` set to `value`."""
    return [(key, value if key == name else old) for key, old in fields]
