# Varnish in front of the newsroom (docs/performance.md, "Takedowns reach the CDN").
#
# Caches what Django marks public for as long as its s-maxage says (nothing else), and drops
# pages by surrogate key when Django sends `BAN` with `X-Surrogate-Key: story-12 overflow`
# (caching.cdn.VarnishPurger), from the addresses in acl purgers only. Each page names its
# keys in `Surrogate-Key` (caching.keys). The backend is set with -b or by editing
# the one below; the test suite starts varnishd with this file in front of its live server.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN" || req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.X-Surrogate-Key || req.http.X-Surrogate-Key !~ "^[A-Za-z0-9_ -]+$") {
            return (synth(400, "X-Surrogate-Key: one or more keys, space-separated"));
        }
        # "story-1 site" bans objects whose Surrogate-Key holds story-1 or site as a whole
        # word: story-1 must not match story-12.
        ban("obj.http.Surrogate-Key ~ (^|\s)(" +
            regsuball(req.http.X-Surrogate-Key, " +", "|") + ")(\s|$)");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff carry a session: never served from, nor stored in, the shared cache.
    if (req.http.Cookie ~ "sessionid=") {
        return (pass);
    }
    unset req.http.Cookie;
    # Campaign tags (?utm_source=newsletter…) say where a reader came from, not which page:
    # one stored copy for all of them. Django's page cache leaves them out of its key too;
    # the beacon reads them from the reader's own address bar (audience/collecting.py).
    if (req.url ~ "[?&]utm_") {
        set req.url = regsuball(req.url, "&utm_[^&]*", "");
        set req.url = regsub(req.url, "\?utm_[^&]*&?", "?");
        set req.url = regsub(req.url, "\?$", "");
    }
    return (hash);
}

sub vcl_backend_response {
    # Only what Django says a shared cache may keep (public pages: s-maxage); everything
    # else, 404s included, is fetched anew each time.
    if (beresp.http.Cache-Control !~ "s-maxage" || beresp.http.Cache-Control ~ "private|no-store"
        || beresp.http.Set-Cookie) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # The keys stay on the stored object (obj.http.Surrogate-Key): the bans read them there.
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
    # Readers need not see the keys; Cloudflare's Cache-Tag is for Cloudflare only.
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
