// Small progressive enhancements. The site works without this file.
// Submit a form as soon as a control marked data-autosubmit changes (e.g. filters).
document.addEventListener("change", (event) => {
  const control = event.target.closest("[data-autosubmit]");
  if (control && control.form) control.form.requestSubmit();
});

// Youth budget vote: the running total of the projects ticked, against the round's amount.
const budgetTotal = document.querySelector("[data-budget-total]");
if (budgetTotal) {
  const costs = JSON.parse(document.getElementById("budget-costs").textContent);
  const amount = Number(budgetTotal.dataset.amount);
  const kroner = (n) => `${n.toLocaleString("nb-NO")} kr`;
  const update = () => {
    let sum = 0;
    document.querySelectorAll('input[name="projects"]:checked').forEach((box) => {
      sum += costs[box.value] || 0;
    });
    budgetTotal.querySelector("output").textContent = kroner(sum);
    budgetTotal.querySelector("[data-budget-over]").hidden = sum <= amount;
  };
  document.addEventListener("change", (event) => {
    if (event.target.matches('input[name="projects"]')) update();
  });
  budgetTotal.hidden = false;
  update();
}
