// Small progressive enhancements; every page works without this file.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});

// With scripts on, the language menu changes on selection; its button is only for no-script use.
document.documentElement.classList.add("js");
