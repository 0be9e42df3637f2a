// "Use where I am now": fill the latitude and longitude fields from the device, once, when
// asked. Shown only where the browser can locate; the fields can always be typed in.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-locate-me]");
  const lat = document.getElementById("id_lat");
  const lng = document.getElementById("id_long");
  if (!box || !lat || !lng || !navigator.geolocation) return;
  const field = lng.closest(".field");
  if (field) field.after(box); // right under the longitude, in reading order
  box.hidden = false;
  const status = box.querySelector("[data-locate-status]");
  box.querySelector("button").addEventListener("click", () => {
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        status.textContent = box.dataset.found;
      },
      () => { status.textContent = box.dataset.denied; },
      { timeout: 10000 },
    );
  });
});
