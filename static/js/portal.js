// Small progressive enhancements; every page still works without JavaScript.
document.addEventListener("change", (event) => {
  if (event.target.matches(".js-autosubmit")) {
    event.target.form.submit();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.matches(".js-print")) {
    window.print();
  }
});
