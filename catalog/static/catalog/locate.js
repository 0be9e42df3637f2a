// "Nearest first": ask for the position once, submit it as lat/lng; never stored.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-locate]");
  if (!form || !navigator.geolocation) return;
  const status = form.querySelector("[data-locate-status]");
  form.addEventListener("submit", (event) => {
    if (form.lat.value) return;
    event.preventDefault();
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.lat.value = pos.coords.latitude.toFixed(4);
        form.lng.value = pos.coords.longitude.toFixed(4);
        form.submit();
      },
      () => { status.textContent = form.dataset.denied || "Location unavailable."; },
      { timeout: 10000 },
    );
  });
});
