// Small progressive enhancements. The site works without this file.
// Submit a form as soon as a control marked data-autosubmit changes (e.g. filters).
document.addEventListener("change", (event) => {
  const control = event.target.closest("[data-autosubmit]");
  if (control && control.form) control.form.requestSubmit();
});
