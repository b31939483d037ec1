/* The admin's autocomplete (select2) types into a search field it creates without a label:
   name it after the field it serves, now and whenever select2 re-creates it. */
(function () {
  "use strict";
  function labelSearchFields(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      var container = input.closest(".select2-container");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      var name = label ? label.textContent.replace(/\s*:\s*$/, "").trim() : "";
      input.setAttribute("aria-label", name ? "Rechercher : " + name : "Rechercher");
    });
  }
  window.addEventListener("load", function () {
    labelSearchFields(document);
    new MutationObserver(function () { labelSearchFields(document); })
      .observe(document.body, { childList: true, subtree: true });
  });
})();
