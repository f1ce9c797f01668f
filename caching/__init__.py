"""Caching for readers: the page cache, remembered values, fragments, the keys that name what a
page shows, and the CDN purges. It knows keys, not models: docs/caching.md."""
