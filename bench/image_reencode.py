"""Time and memory for process_image on a 24-megapixel phone-style JPEG.

Run from the project root: ``.venv/bin/python bench/image_reencode.py``. The photo is 6000x4000,
smooth gradients with sensor-like noise on top (pure noise would be an unrealistically hard
case for JPEG, flat colour an unrealistically easy one), saved at quality 92 with EXIF GPS and
orientation 6, so every run also has to turn the picture upright: the worst common case. It is
made in a child process so its construction does not count towards this process's memory.
Targets: p50 of 5 runs under 1.5 s, peak memory growth under 300 MB; exits 1 when missed.
"""

from __future__ import annotations

import gc
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _measure import MIB, maxrss_kib, reset_peak, setup_django, status_kib

WIDTH, HEIGHT = 6000, 4000
RUNS = 5
TIME_LIMIT = 1.5
MEMORY_LIMIT_MIB = 300


def make_photo(path: str) -> None:
    from PIL import ExifTags, Image, ImageChops

    size = (WIDTH, HEIGHT)
    channels = []
    for angle, sigma in ((0, 18), (90, 14), (45, 22)):
        gradient = Image.linear_gradient("L").rotate(angle).resize(size, Image.Resampling.BICUBIC)
        noise = Image.effect_noise(size, sigma)
        channels.append(ImageChops.add(gradient, noise, scale=1.6, offset=-60))
    photo = Image.merge("RGB", channels)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (16.0, 26.0, 12.5)
    photo.save(path, "JPEG", quality=92, exif=exif)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--make":
        make_photo(sys.argv[2])
        return 0
    setup_django()
    from django.core.files import File
    from PIL import Image

    from requests.uploads import check_upload, process_image
    from requests.uploads.images import inspect_image

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "photo.jpg"
        subprocess.run([sys.executable, __file__, "--make", str(source)], check=True)
        print(
            f"photo:        {WIDTH}x{HEIGHT} JPEG, {source.stat().st_size / MIB:.1f} MiB",
            flush=True,
        )

        with open(source, "rb") as warm:  # imports and codec set-up, not counted
            process_image(warm, "jpeg", thumbnail_sizes=(400,))

        times, cpu_times, peaks = [], [], []
        for _ in range(RUNS):
            gc.collect()
            can_reset = reset_peak()
            rss_before, maxrss_before = status_kib("VmRSS"), maxrss_kib()
            with open(source, "rb") as upload:
                started, cpu_started = time.perf_counter(), time.process_time()
                processed = process_image(upload, "jpeg", name=source.name)
                times.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
            peaks.append(max(status_kib("VmHWM") - rss_before, maxrss_kib() - maxrss_before) / 1024)
            del processed
        with open(source, "rb") as opened:
            processed = process_image(opened, "jpeg")
            # An open() file's name is its full path, which check_upload refuses as a name.
            upload = File(opened, name="photo.jpg")
            started = time.perf_counter()
            check_upload(upload, max_bytes=64 * MIB)
            check_time = time.perf_counter() - started
            started = time.perf_counter()
            inspect_image(upload, "jpeg", "photo.jpg")
            inspect_time = time.perf_counter() - started

    main_image = Image.open(io.BytesIO(processed.data))
    print(
        f"output:       {processed.width}x{processed.height} JPEG "
        f"{processed.size / MIB:.1f} MiB, EXIF tags left: {len(main_image.getexif())}"
    )
    for thumbnail in processed.thumbnails:
        kib = len(thumbnail.data) // 1024
        print(f"thumbnail:    {thumbnail.width}x{thumbnail.height} JPEG {kib} KiB")
    p50 = statistics.median(times)
    print(f"process_image runs: {', '.join(f'{t * 1000:.0f}' for t in times)} ms")
    print(f"process_image p50:  {p50 * 1000:.0f} ms (target < {TIME_LIMIT * 1000:.0f} ms)")
    # CPU time is steadier than wall time on a shared machine; both are printed.
    print(f"  CPU time p50:     {statistics.median(cpu_times) * 1000:.0f} ms")
    print(f"peak RSS growth:    {max(peaks):.0f} MiB max over runs (target < {MEMORY_LIMIT_MIB})")
    print(f"check_upload:       {check_time * 1000:.0f} ms (hash + 1/8-scale decode)")
    print(f"  of which decode:  {inspect_time * 1000:.0f} ms")
    if not can_reset:
        print("note: /proc/self/clear_refs not writable; RSS figures include earlier peaks")
    ok = p50 < TIME_LIMIT and max(peaks) < MEMORY_LIMIT_MIB
    print("result:            ", "OK" if ok else "OVER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
