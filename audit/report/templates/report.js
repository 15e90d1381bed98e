/* The report's filters: plain inline JS, no network. The state lives in the URL hash
   (#verdict=conflict&measure=killed&story=S1&outlet=Name&q=words), so a filtered view can be linked. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var facts = Array.prototype.slice.call(document.querySelectorAll("[data-fact]"));
  var stories = Array.prototype.slice.call(document.querySelectorAll("section.story"));
  var singles = document.getElementById("singles");
  var more = document.getElementById("more");
  var shown = document.getElementById("shown");
  var singlesShown = document.getElementById("singles-shown");
  var multiEmpty = document.getElementById("multi-empty");
  var singlesEmpty = document.getElementById("singles-empty");
  var FIELDS = ["verdict", "measure", "story", "outlet", "q"];
  var PAGE = parseInt(singles.getAttribute("data-page"), 10) || 100;
  var limit = PAGE;
  var texts = new Map();
  var totalMulti = 0;
  var totalSingle = 0;
  facts.forEach(function (el) { if (el.classList.contains("single")) { totalSingle++; } else { totalMulti++; } });

  function text(el) {
    var found = texts.get(el);
    if (found === undefined) {
      found = el.textContent.toLowerCase().replace(/\s+/g, " ");
      texts.set(el, found);
    }
    return found;
  }

  function state() {
    var outlet = form.elements.outlet;
    var chosen = outlet.selectedIndex > 0 ? outlet.options[outlet.selectedIndex].getAttribute("data-i") : null;
    return {
      verdict: form.elements.verdict.value,
      measure: form.elements.measure.value,
      story: form.elements.story.value,
      outlet: chosen === null ? null : " " + chosen + " ",
      words: form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean)
    };
  }

  function matches(el, s) {
    if (s.verdict && el.getAttribute("data-verdict") !== s.verdict) { return false; }
    if (s.measure && el.getAttribute("data-measure") !== s.measure) { return false; }
    if (s.story && el.getAttribute("data-story") !== s.story) { return false; }
    if (s.outlet && el.getAttribute("data-outlets").indexOf(s.outlet) < 0) { return false; }
    for (var i = 0; i < s.words.length; i++) {
      if (text(el).indexOf(s.words[i]) < 0) { return false; }
    }
    return true;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function apply() {
    var s = state();
    var multi = 0, single = 0, listed = 0;
    facts.forEach(function (el) {
      var ok = matches(el, s);
      if (el.classList.contains("single")) {
        if (ok) { single++; ok = single <= limit; if (ok) { listed++; } }
      } else if (ok) {
        multi++;
      }
      el.hidden = !ok;
    });
    stories.forEach(function (section) {
      section.hidden = !section.querySelector("[data-fact]:not([hidden])");
    });
    multiEmpty.hidden = multi > 0;
    singlesEmpty.hidden = single > 0;
    more.hidden = single <= limit;
    more.textContent = "Show " + Math.min(PAGE, single - listed) + " more (" + (single - listed) + " not shown)";
    var filtered = s.verdict || s.measure || s.story || s.outlet || s.words.length;
    singlesShown.textContent = filtered ? ": " + single + " match" + (single === 1 ? "es" : "") : "";
    if (filtered && single > 0 && (s.verdict === "single" || s.words.length)) { singles.open = true; }
    shown.textContent = "Showing " + multi + " of " + plural(totalMulti, "fact") + " across sources and " +
      single + " of " + totalSingle + " single-source" + (single > listed ? " (" + listed + " listed)" : "") + ".";
  }

  function toHash() {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) { params.set(name, value); }
    });
    var hash = params.toString();
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (e) { /* a file:// page may refuse; the filters still work */ }
  }

  function fromHash() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("=") < 0) { return false; }  // "#F1234": a link to one fact, not a filter
    var params = new URLSearchParams(hash);
    FIELDS.forEach(function (name) { form.elements[name].value = params.get(name) || ""; });
    return true;
  }

  function changed() { limit = PAGE; apply(); toHash(); }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) { if (event.target.name === "q") { changed(); } });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(changed, 0); });
  more.addEventListener("click", function () { limit += PAGE; apply(); });
  window.addEventListener("hashchange", function () { if (fromHash()) { limit = PAGE; apply(); } });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName);
    if (event.key === "/" && !typing) { event.preventDefault(); form.elements.q.focus(); }
    if (event.key === "Escape" && event.target === form.elements.q) { form.elements.q.value = ""; changed(); }
  });

  fromHash();
  apply();
  document.documentElement.setAttribute("data-ready-ms", String(Math.round(performance.now())));
})();
