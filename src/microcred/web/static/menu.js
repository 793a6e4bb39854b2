// The header's menu on narrow screens: a button opens and closes the navigation.
// Without this script the navigation simply stays open, so every link is always reachable.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-button");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  button.hidden = false;
  document.documentElement.classList.add("has-menu");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
