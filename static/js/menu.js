// The phone menu: at phone width one button ("เมนู") opens and closes the navigation. Without this
// script the button never shows and the links stay open, so they are always reachable.
(function () {
  var button = document.querySelector("[data-menu-toggle]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  document.documentElement.classList.add("menu-collapsible");

  function show(open) {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  }

  button.addEventListener("click", function () {
    show(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the open menu and puts the keyboard back on its button.
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.offsetParent !== null) {
      show(false);
      button.focus();
    }
  });
})();
