/* "Search and social": the story as a search result and as link cards on X, Bluesky and
 * Facebook, updated as the headline, dek and SEO fields change, with a warning when a title
 * or description will be cut. The limits are the ones search engines and networks apply.
 * Configured by data-* attributes on its <script> (includes/editor_view.html).
 */
(function () {
  "use strict";

  const script = document.getElementById("social-preview-script");
  const headline = document.getElementById("id_headline");
  if (!script || !headline) {
    return; // a read-only view: nothing is being written
  }
  const TITLE_MAX = 60;
  const DESCRIPTION_MAX = 160;
  const NETWORKS = ["X", "Bluesky", "Facebook"];
  const field = function (name) {
    return document.getElementById("id_" + name);
  };
  const cards = {}; // social card URL by image id, as the library reports it

  const element = window.newsroomDesk.element; // desk_dom.js

  function valueOf(name) {
    const input = field(name);
    return input ? input.value.replace(/\s+/g, " ").trim() : "";
  }

  function cut(text, max) {
    return text.length <= max ? text : text.slice(0, max - 1).trimEnd() + "…";
  }

  function panel() {
    const section = element("section", { class: "module social-preview", id: "social-preview" });
    section.appendChild(element("h2", {}, "Search and social preview"));
    const warnings = element("ul", { class: "preview-warnings", "aria-live": "polite" });
    const previews = element("div", { class: "previews" });
    const result = element("div", { class: "search-result" });
    result.appendChild(element("div", { class: "result-url" }, script.dataset.host || ""));
    result.appendChild(element("div", { class: "result-title" }));
    result.appendChild(element("div", { class: "result-description" }));
    previews.appendChild(result);
    NETWORKS.forEach(function (network) {
      const card = element("div", { class: "link-card", "data-network": network });
      card.appendChild(element("img", { alt: "", src: script.dataset.defaultCard }));
      const text = element("div", { class: "card-text" });
      text.appendChild(element("div", { class: "card-network" }, network));
      text.appendChild(element("div", { class: "card-title" }));
      text.appendChild(element("div", { class: "card-description" }));
      card.appendChild(text);
      previews.appendChild(card);
    });
    section.appendChild(warnings);
    section.appendChild(previews);
    return section;
  }

  function imageUrl(then) {
    const chosen = valueOf("social_image") || valueOf("lead_image");
    if (!chosen) {
      return then(script.dataset.defaultCard);
    }
    if (cards[chosen]) {
      return then(cards[chosen]);
    }
    fetch(script.dataset.libraryUrl + "?id=" + encodeURIComponent(chosen), {
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        cards[chosen] = data.results.length ? data.results[0].card : script.dataset.defaultCard;
        then(cards[chosen]);
      })
      .catch(function () {
        then(script.dataset.defaultCard);
      });
  }

  function update(section) {
    const title = valueOf("seo_title") || valueOf("headline");
    const description = valueOf("seo_description") || valueOf("dek");
    section.querySelector(".result-title").textContent = cut(title, TITLE_MAX);
    section.querySelector(".result-description").textContent = cut(description, DESCRIPTION_MAX);
    section.querySelectorAll(".link-card").forEach(function (card) {
      card.querySelector(".card-title").textContent = cut(title, TITLE_MAX + 10);
      card.querySelector(".card-description").textContent = cut(description, DESCRIPTION_MAX);
    });
    const warnings = section.querySelector(".preview-warnings");
    warnings.replaceChildren();
    if (title.length > TITLE_MAX) {
      warnings.appendChild(element("li", {}, "The title is " + title.length +
        " characters: search results cut it after " + TITLE_MAX + ". Shorten it or write an SEO title."));
    }
    if (description.length > DESCRIPTION_MAX) {
      warnings.appendChild(element("li", {}, "The description is " + description.length +
        " characters: search results cut it after " + DESCRIPTION_MAX + "."));
    }
    if (!description) {
      warnings.appendChild(element("li", {}, "No description: write a dek or an SEO description."));
    }
    imageUrl(function (url) {
      section.querySelectorAll(".link-card img").forEach(function (img) {
        if (img.getAttribute("src") !== url) {
          img.setAttribute("src", url);
        }
      });
    });
  }

  const section = panel();
  const fieldsets = Array.from(document.querySelectorAll("fieldset"));
  const seo = fieldsets.find(function (fieldset) {
    const heading = fieldset.querySelector("h2");
    return heading && heading.textContent.trim() === "Search and social";
  });
  (seo || headline.closest("fieldset")).after(section);
  const refresh = function () {
    update(section);
  };
  ["headline", "dek", "seo_title", "seo_description", "social_image", "lead_image"].forEach(
    function (name) {
      const input = field(name);
      if (input) {
        input.addEventListener("input", refresh);
        input.addEventListener("change", refresh);
        if (window.django && window.django.jQuery) {
          window.django.jQuery(input).on("change", refresh); // the autocomplete widgets
        }
      }
    }
  );
  refresh();
})();
