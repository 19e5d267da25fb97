// 东胜就业工作台: the few behaviours plain HTML lacks. No inline scripts anywhere (CSP).
(function () {
  "use strict";
  // The menu button on a narrow screen (station tablets in portrait).
  document.querySelectorAll("[data-toggle]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-toggle"));
      if (target) { target.classList.toggle("open"); }
    });
  });
  // Destructive actions ask once more.
  document.querySelectorAll("button.danger").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm("确定要" + button.textContent.trim() + "吗？此操作不能撤回。")) {
        event.preventDefault();
      }
    });
  });
  // A scanner field (USB scanners type the code and press Enter): keep the focus on it.
  var scan = document.querySelector("[data-scan]");
  if (scan) { scan.focus(); }
  // A submitted form cannot be sent twice by a double tap.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();
