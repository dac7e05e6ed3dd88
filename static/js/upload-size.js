// Checks the size of a chosen file before the form uploads it (core/uploads.py). A file over
// the input's data-max-bytes is taken out of the input at once, with the input's own sentence
// in a message under it; the server checks again. Loaded once per input: binds once per input.
(function () {
  function message(input) {
    var box = input.parentNode.querySelector(".upload-too-big[data-for='" + input.id + "']");
    if (!box) {
      box = document.createElement("div");
      box.className = "upload-too-big";
      box.setAttribute("data-for", input.id);
      box.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", box);
    }
    return box;
  }

  function check(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var wording = input.getAttribute("data-too-big") || "";
    var refused = [];
    Array.prototype.forEach.call(input.files || [], function (file) {
      if (max && file.size > max) { refused.push(wording.replace("%(name)s", file.name)); }
    });
    var box = message(input);
    box.textContent = "";
    if (!refused.length) { box.hidden = true; input.removeAttribute("aria-invalid"); return; }
    refused.forEach(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      box.appendChild(p);
    });
    box.hidden = false;
    input.value = "";  // nothing too large is sent
    input.setAttribute("aria-invalid", "true");
  }

  function bind() {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      if (input.hasAttribute("data-size-checked")) { return; }
      input.setAttribute("data-size-checked", "");
      input.addEventListener("change", function () { check(input); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
