// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    document.documentElement.classList.add("js");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("is-open", !open);
    });
  }
  // The menu's groups (<details data-menu-group>, templates/base.html): one open at a time;
  // Escape or a click elsewhere closes it; a list that would leave the screen opens leftwards.
  var groups = document.querySelectorAll("details[data-menu-group]");
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () {
      if (!group.open) { return; }
      groups.forEach(function (other) { if (other !== group) { other.open = false; } });
      var list = group.querySelector(".menu-group__items");
      if (list) {
        list.classList.remove("menu-group__items--end");
        if (list.getBoundingClientRect().right > document.documentElement.clientWidth) {
          list.classList.add("menu-group__items--end");
        }
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    groups.forEach(function (group) {
      if (!group.open) { return; }
      var inside = group.contains(document.activeElement);
      group.open = false;
      if (inside) { group.querySelector("summary").focus(); }
    });
  });
  document.addEventListener("click", function (event) {
    groups.forEach(function (group) {
      if (group.open && !group.contains(event.target)) { group.open = false; }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // A table wider than the screen scrolls in its wrapper; keyboard users must reach it too.
  function labelScrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        var table = wrap.querySelector("table");
        var caption = table && (table.querySelector("caption") || null);
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "group");  // not a landmark: the section around it is one
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim()
          : (table && table.getAttribute("aria-label")) || document.title);
      }
    });
  }
  labelScrollableTables();
  window.addEventListener("resize", labelScrollableTables);
  document.body.addEventListener("htmx:afterSwap", labelScrollableTables);
  // Logging out forgets the report drafts kept on this device (report-draft.js): the next
  // person on a shared phone must not find them.
  document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
    form.addEventListener("submit", function () {
      try {
        for (var i = window.localStorage.length - 1; i >= 0; i--) {
          var name = window.localStorage.key(i);
          if (name && name.indexOf("hjulet:draft:") === 0) { window.localStorage.removeItem(name); }
        }
      } catch (e) { /* storage switched off: nothing kept */ }
    });
  });
  // One submit per form: a double click must not create two records.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
});
