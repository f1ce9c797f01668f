// Progressive enhancements only: every control works without this file.

// "Copy link": copy the story's address instead of following the link.
document.addEventListener("click", async (event) => {
  const link = event.target.closest("a[data-copy]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  try {
    await navigator.clipboard.writeText(link.dataset.copy);
    link.textContent = "Link copied";
  } catch {
    window.location.href = link.href;
  }
});
