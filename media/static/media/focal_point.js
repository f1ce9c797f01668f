// Click the preview to set the image's focal point; a marker shows where it is.
document.addEventListener("DOMContentLoaded", () => {
  const preview = document.querySelector("img.focal-preview");
  const x = document.getElementById("id_focal_x");
  const y = document.getElementById("id_focal_y");
  if (!preview || !x || !y) return;
  const marker = document.createElement("span");
  marker.className = "focal-marker";
  marker.setAttribute("aria-hidden", "true");
  preview.parentElement.style.position = "relative";
  preview.parentElement.appendChild(marker);
  const place = () => {
    marker.style.left = `${preview.offsetLeft + preview.width * Number(x.value)}px`;
    marker.style.top = `${preview.offsetTop + preview.height * Number(y.value)}px`;
  };
  preview.style.cursor = "crosshair";
  preview.addEventListener("click", (event) => {
    const box = preview.getBoundingClientRect();
    x.value = ((event.clientX - box.left) / box.width).toFixed(3);
    y.value = ((event.clientY - box.top) / box.height).toFixed(3);
    place();
  });
  [x, y].forEach((input) => input.addEventListener("input", place));
  if (preview.complete) place(); else preview.addEventListener("load", place);
});
