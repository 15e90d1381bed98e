/* The report's filters: plain inline JS, no network. The state lives in the URL hash
   (#verdict=conflict&measure=killed&story=S1&outlet=Name&q=words), so a filtered view can be linked.
   Facts stated by several sources are in the page; single-source facts are listed from the JSON block,
   a page at a time, built with textContent only (page text is never read as markup). */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var facts = Array.prototype.slice.call(document.querySelectorAll("article[data-fact]"));
  var stories = Array.prototype.slice.call(document.querySelectorAll("section.story"));
  var singles = document.getElementById("singles");
  var list = document.getElementById("single-list");
  var more = document.getElementById("more");
  var shown = document.getElementById("shown");
  var singlesShown = document.getElementById("singles-shown");
  var multiEmpty = document.getElementById("multi-empty");
  var singlesEmpty = document.getElementById("singles-empty");
  var data = JSON.parse(document.getElementById("singles-data").textContent);
  var FIELDS = ["verdict", "measure", "story", "outlet", "q"];
  var PAGE = parseInt(singles.getAttribute("data-page"), 10) || 100;
  var limit = PAGE;
  var texts = new Map();

  function factText(el) {
    var found = texts.get(el);
    if (found === undefined) {
      found = el.textContent.toLowerCase().replace(/\s+/g, " ");
      texts.set(el, found);
    }
    return found;
  }

  function singleText(fact) {
    if (fact.text === undefined) {
      var parts = [fact.id, fact.story, fact.what, fact.subject, fact.event, fact.best, fact.note];
      fact.claims.forEach(function (c) {
        parts.push(c.outlet, c.sid, c.copy, c.published, c.value, c.before + c.words + c.after, c.speaker);
      });
      fact.text = parts.join(" ").toLowerCase().replace(/\s+/g, " ");
    }
    return fact.text;
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

  function matches(s, verdict, measure, story, outlets, text) {
    if (s.verdict && verdict !== s.verdict) { return false; }
    if (s.measure && measure !== s.measure) { return false; }
    if (s.story && story !== s.story) { return false; }
    if (s.outlet && outlets.indexOf(s.outlet) < 0) { return false; }
    for (var i = 0; i < s.words.length; i++) {
      if (text().indexOf(s.words[i]) < 0) { return false; }
    }
    return true;
  }

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  function add(parent, tag, className, text) {
    parent.appendChild(document.createTextNode(" "));
    return parent.appendChild(node(tag, className, text));
  }

  function when(published) {
    var span = node("span", "published");
    if (!published) { span.textContent = "undated"; return span; }
    published.split("T").forEach(function (part, i) {
      if (i) { span.appendChild(document.createTextNode(" ")); }
      span.appendChild(node("span", "when", part));
    });
    return span;
  }

  function renderClaim(c) {
    var li = node("li", "claim" + (c.copy ? " copy" : "") + (c.denied ? " denied" : ""));
    li.setAttribute("data-claim", c.id);
    li.appendChild(node("span", "outlet", c.outlet));
    add(li, "code", "sid", c.sid).title = "source " + c.source;
    if (c.copy) { add(li, "span", "badge copy", "copy of " + c.copy); }
    if (c.denied) { add(li, "span", "badge denied", "denial: never counted"); }
    li.appendChild(document.createTextNode(" "));
    li.appendChild(when(c.published));
    add(li, "span", "value", c.value);
    var q = add(li, "q", "words" + (c.found ? "" : " unplaced"));
    q.appendChild(document.createTextNode(c.before));
    q.appendChild(node("mark", "", c.words)).title = c.title;
    if (!c.found) { add(q, "span", "note", "(these words are not in the sentence:)"); q.appendChild(document.createTextNode(" ")); }
    q.appendChild(document.createTextNode(c.after));
    if (c.speaker) { add(li, "span", "speaker", "attributed to " + c.speaker); }
    if (c.url) {
      var a = add(li, "a", "link", "source page");
      a.href = c.url;
      a.rel = "noopener noreferrer";
    }
    return li;
  }

  function renderSingle(fact) {
    var li = node("li", "fact single v-single");
    li.id = fact.id;
    li.setAttribute("data-fact", "");
    li.setAttribute("data-verdict", "single");
    li.setAttribute("data-measure", fact.measure);
    li.setAttribute("data-story", fact.story);
    var head = li.appendChild(node("p", "single-head"));
    head.appendChild(node("span", "story-id", fact.story));
    add(head, "span", "what", fact.what);
    if (fact.subject) { add(head, "span", "subject", "of " + fact.subject); }
    if (fact.event) { add(head, "span", "event", "event " + fact.event); }
    add(head, "span", "single-best", fact.best || "no figure");
    var link = add(head, "a", "fact-id", fact.id);
    link.href = "#" + fact.id;
    var claims = li.appendChild(node("ul", "single-claims"));
    fact.claims.forEach(function (c) { claims.appendChild(renderClaim(c)); });
    if (fact.note) { li.appendChild(node("p", "why", fact.note)); }
    return li;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function apply() {
    var s = state();
    var multi = 0;
    facts.forEach(function (el) {
      var ok = matches(s, el.getAttribute("data-verdict"), el.getAttribute("data-measure"),
        el.getAttribute("data-story"), el.getAttribute("data-outlets"), function () { return factText(el); });
      if (ok) { multi++; }
      el.hidden = !ok;
    });
    stories.forEach(function (section) {
      section.hidden = !section.querySelector("article[data-fact]:not([hidden])");
    });
    var found = data.filter(function (fact) {
      return matches(s, "single", fact.measure, fact.story, fact.outlets, function () { return singleText(fact); });
    });
    var page = document.createDocumentFragment();
    found.slice(0, limit).forEach(function (fact) { page.appendChild(renderSingle(fact)); });
    list.textContent = "";
    list.appendChild(page);
    var listed = Math.min(found.length, limit);
    multiEmpty.hidden = multi > 0;
    singlesEmpty.hidden = found.length > 0;
    more.hidden = found.length <= limit;
    more.textContent = "Show " + Math.min(PAGE, found.length - listed) + " more (" + (found.length - listed) + " not shown)";
    var filtered = s.verdict || s.measure || s.story || s.outlet || s.words.length;
    singlesShown.textContent = filtered ? ": " + found.length + (found.length === 1 ? " matches" : " match") + " the filters" : "";
    if (filtered && found.length > 0 && (s.verdict === "single" || s.words.length)) { singles.open = true; }
    shown.textContent = "Showing " + multi + " of " + plural(facts.length, "fact") + " across sources and " +
      found.length + " of " + data.length + " single-source" + (found.length > listed ? " (" + listed + " listed)" : "") + ".";
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
    try { hash = decodeURIComponent(hash); } catch (e) { return false; }
    if (hash.indexOf("=") < 0) {
      // "#F1234": a link to one fact; a single-source one is listed by searching for its id
      if (!hash || document.getElementById(hash) || !data.some(function (f) { return f.id === hash; })) { return false; }
      FIELDS.forEach(function (name) { form.elements[name].value = ""; });
      form.elements.q.value = hash;
      return true;
    }
    var params = new URLSearchParams(location.hash.slice(1));
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
