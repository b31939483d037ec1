// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  // After a failed submission, move focus to the error summary so screen readers announce it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Collectivité suggestions: a native <datalist> filled as the person types; picking a
  // suggestion fills the hidden field so that the server need not guess.
  var inputs = document.querySelectorAll("[data-collectivite-autocomplete]");
  Array.prototype.forEach.call(inputs, function (input) {
    var hidden = input.form && input.form.querySelector("input[type=hidden][name=collectivite]");
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.insertAdjacentElement("afterend", list);
    var bySlug = {};
    var timer = null;

    input.addEventListener("input", function () {
      var value = input.value.trim();
      if (hidden) {
        hidden.value = bySlug[value] || "";
      }
      if (value.length < 2 || bySlug[value]) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch("/collectivites/suggestions/?q=" + encodeURIComponent(value), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (item) {
              bySlug[item.label] = item.slug;
              var option = document.createElement("option");
              option.value = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience: typing still works */ });
      }, 200);
    });
  });
  // Solution suggestions: the last name typed (after the last « ; ») is completed from
  // /solutions/suggestions/; each suggestion keeps the names already typed before it.
  var solutionInputs = document.querySelectorAll("[data-solution-autocomplete]");
  Array.prototype.forEach.call(solutionInputs, function (input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.insertAdjacentElement("afterend", list);
    var timer = null;

    input.addEventListener("input", function () {
      var parts = input.value.split(";");
      var last = parts.pop().trim();
      var before = parts.length ? parts.join(";") + "; " : "";
      if (last.length < 2) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch("/solutions/suggestions/?q=" + encodeURIComponent(last), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (name) {
              var option = document.createElement("option");
              option.value = before + name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience: typing still works */ });
      }, 200);
    });
  });
})();
