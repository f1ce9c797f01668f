// Audience beacon: no cookies, no storage (docs/audience.md, Counting).
(() => {
  const D = document, L = location, d = D.currentScript.dataset;
  let t = D.hidden ? 0 : Date.now(), ms = 0, end = false;
  const send = (k, x) => {
    const b = JSON.stringify({k, p: L.pathname + L.search, r: D.referrer, t: d.kind, i: +d.id || 0, ...x});
    navigator.sendBeacon?.(d.url, b) || fetch(d.url, {method: "POST", body: b, keepalive: true}).catch(Date);
  };
  const leave = () => {
    ms += t && Date.now() - t;
    const s = Math.round(ms / 1e3);
    if (s || end) send("engaged", {s, e: end});
    t = ms = 0, end = false;
  };
  send("view", "search" in d ? {q: new URLSearchParams(L.search).get("q") || ""} : {});
  const m = D.querySelector("[data-audience-end]");
  m && new IntersectionObserver((e, o) => e.some((x) => x.isIntersecting) && (end = true, o.disconnect())).observe(m);
  D.addEventListener("visibilitychange", () => D.hidden ? leave() : t = Date.now());
  addEventListener("pagehide", leave);
})();
