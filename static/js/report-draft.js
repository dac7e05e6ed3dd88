// The report form's draft, kept in this browser until the report is sent, so that nothing typed
// is lost when sending fails (the 503 page), the tab is closed or the phone's battery dies.
//
// Never kept: the protected field "Who was affected?" (a name or personal identity number must
// not stay on a phone that others use), attachments, and the form's security token. A draft
// belongs to one person and one form (the unit's link has its own), is dropped after the hours
// the page gives (data-draft-hours), on the receipt page and when the person logs out.
//
// The submission key travels with the draft: if a sending that failed had in fact been filed,
// sending again with the same key and text shows the receipt instead of filing twice. Keys that
// have reached a receipt are remembered, so a form brought back by the Back button (from the
// browser's page cache) is emptied and given a new key instead of being sent again.
(function () {
  "use strict";
  var PREFIX = "hjulet:draft:";
  var SENT = "hjulet:sent-keys";
  var NEVER = ["affected_person", "attachments", "csrfmiddlewaretoken", "submission_key"];
  var TYPED = ["description", "immediate_action", "place"];

  var store = (function () {
    try {
      window.localStorage.setItem("hjulet:probe", "1");
      window.localStorage.removeItem("hjulet:probe");
      return window.localStorage;
    } catch (e) {
      return null; // private mode or storage switched off: the form works as before
    }
  })();
  if (!store) { return; }

  function read(name) {
    try { return JSON.parse(store.getItem(name)); } catch (e) { return null; }
  }
  function write(name, value) {
    try { store.setItem(name, JSON.stringify(value)); } catch (e) { /* storage full */ }
  }
  function sentKeys() {
    var keys = read(SENT);
    return Array.isArray(keys) ? keys : [];
  }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  // -- the receipt: the draft with this key is sent -----------------------------------------
  function forgetSent(marker) {
    var key = marker.getAttribute("data-sent-key");
    var owner = PREFIX + marker.getAttribute("data-draft-owner") + ":";
    if (key) {
      var keys = sentKeys().filter(function (k) { return k !== key; });
      keys.push(key);
      write(SENT, keys.slice(-20));
    }
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (name && name.indexOf(owner) === 0) {
        var draft = read(name);
        if (!draft || !key || draft.key === key) { store.removeItem(name); }
      }
    }
  }

  // -- the form ------------------------------------------------------------------------------
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && NEVER.indexOf(el.name) < 0 &&
        ["file", "submit", "button", "hidden"].indexOf(el.type) < 0;
    });
  }
  function collect(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") {
        if (el.checked) { values[el.name] = el.value; }
      } else if (el.type === "checkbox") {
        values[el.name] = el.checked;
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }
  function apply(form, values) {
    fields(form).forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(values, el.name)) { return; }
      var value = values[el.name];
      if (el.type === "radio") {
        el.checked = el.value === value;
      } else if (el.type === "checkbox") {
        el.checked = !!value;
      } else {
        el.value = value;
      }
    });
  }
  function typed(values) {
    return TYPED.some(function (name) { return values[name] && values[name].trim(); });
  }
  function show(id, on) {
    var element = document.getElementById(id);
    if (element) { element.hidden = !on; }
  }

  function keepDraft(form) {
    var name = PREFIX + form.getAttribute("data-draft");
    var key = form.querySelector("[name=submission_key]");
    var hours = parseFloat(form.getAttribute("data-draft-hours")) || 24;
    var timer = null;

    function save() {
      var values = collect(form);
      if (typed(values)) {
        write(name, { saved: Date.now(), key: key.value, values: values });
      } else {
        store.removeItem(name);
      }
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 300);
    }
    function emptyForm() {
      fields(form).forEach(function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          el.checked = el.defaultChecked;
        } else if (TYPED.indexOf(el.name) >= 0) {
          el.value = "";
        }
      });
      var protectedField = form.querySelector("[name=affected_person]");
      if (protectedField) { protectedField.value = ""; }
      key.value = newKey();
    }
    function alreadySent() {
      // The form of a report that reached its receipt, brought back by the browser.
      if (sentKeys().indexOf(key.value) < 0) { return false; }
      store.removeItem(name);
      emptyForm();
      show("draft-restored", false);
      show("draft-sent", true);
      return true;
    }

    if (!alreadySent()) {
      var draft = read(name);
      var fresh = draft && draft.values && Date.now() - draft.saved < hours * 3600 * 1000;
      if (draft && !fresh) { store.removeItem(name); }
      if (form.hasAttribute("data-draft-restore")) {
        if (fresh && sentKeys().indexOf(draft.key) < 0 && typed(draft.values)) {
          apply(form, draft.values);
          if (draft.key) { key.value = draft.key; }
          show("draft-restored", true);
        }
      } else {
        save(); // the server's answer (an error, "already sent") under its key
      }
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      save();
    });
    var discard = document.getElementById("draft-discard");
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(name);
        emptyForm();
        show("draft-restored", false);
        var first = form.querySelector("[name=description]");
        if (first) { first.focus(); }
      });
    }
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) { return; }
      // hjulet.js disabled the button on sending; the page came back from the page cache.
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
      alreadySent();
    });
  }

  function start() {
    var marker = document.getElementById("report-sent");
    if (marker) { forgetSent(marker); }
    var form = document.querySelector("form[data-draft]");
    if (form) { keepDraft(form); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
