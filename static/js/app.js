// Behaviour shared by every page: htmx requests carry the CSRF token (set on <body>).
document.addEventListener("htmx:responseError", function (event) {
  const status = event.detail.xhr.status;
  const box = document.getElementById("htmx-error");
  if (box) {
    box.textContent = box.dataset.message + " (" + status + ")";
    box.classList.remove("d-none");
  }
});
