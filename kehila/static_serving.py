"""WhiteNoise as the portal runs it: static files go out compressed on the development server too.

In production `collectstatic` writes a .br and a .gz beside every file (CompressedManifestStaticFilesStorage)
and WhiteNoise sends whichever the browser accepts. The development server (`make run`, DEBUG) serves the
files where they lie, through the finders and looked up again on every request (WhiteNoise's
"autorefresh"), so that an edited stylesheet shows on the next reload; but nothing wrote a .gz beside them,
so WhiteNoise sent them whole and a page weighed on `make run` several times what it weighs in production.

Here, in autorefresh mode only, the compressed copies are made on the first request for a file, by
WhiteNoise's own compressor, into a cache directory under VAR_DIR, named after the file's path, size and
modification time: an edit makes new copies on its next request, and the source tree (static/,
node_modules/) is never written to. In production (no autorefresh) this is WhiteNoise unchanged.
"""

import hashlib
import os
from pathlib import Path
from wsgiref.headers import Headers

from django.conf import settings
from whitenoise.compress import Compressor
from whitenoise.middleware import WhiteNoiseMiddleware as BaseWhiteNoiseMiddleware
from whitenoise.responders import StaticFile


class WhiteNoiseMiddleware(BaseWhiteNoiseMiddleware):
    compressor = Compressor(quiet=True)

    def compressed_cache(self) -> Path:
        return Path(settings.VAR_DIR) / "cache" / "static-compressed"

    def get_static_file(self, path, url, stat_cache=None):
        # WhiteNoise's own answer first: it raises for a missing file or a directory, as it should.
        static_file = super().get_static_file(path, url, stat_cache=stat_cache)
        if not self.autorefresh or not self.compressor.should_compress(path):
            return static_file
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        if self.allow_all_origins:
            headers["Access-Control-Allow-Origin"] = "*"
        if self.add_headers_function is not None:
            self.add_headers_function(headers, path, url)
        return StaticFile(path, headers.items(), encodings=self.compressed_copies(path))

    def compressed_copies(self, path: str) -> dict[str, str]:
        """{"br": ..., "gzip": ...} for the copies worth sending (WhiteNoise skips a copy that saves
        less than 5%); StaticFile ignores an encoding whose file does not exist."""
        stat = os.stat(path)
        key = hashlib.sha256(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[
            :40
        ]
        cache = self.compressed_cache()
        copies = {"br": cache / f"{key}.br", "gzip": cache / f"{key}.gz"}
        done = cache / f"{key}.done"
        if not done.exists():
            cache.mkdir(parents=True, exist_ok=True)
            data = Path(path).read_bytes()
            for encoding, compress in (
                ("br", self.compressor.compress_brotli if self.compressor.use_brotli else None),
                ("gzip", self.compressor.compress_gzip),
            ):
                compressed = compress(data) if compress else None
                if compressed and self.compressor.is_compressed_effectively(
                    encoding, path, len(data), compressed
                ):
                    # Written aside, then renamed: a concurrent request never reads half a file.
                    partial = copies[encoding].with_suffix(f".{os.getpid()}.partial")
                    partial.write_bytes(compressed)
                    os.replace(partial, copies[encoding])
            done.touch()
        return {encoding: str(copy) for encoding, copy in copies.items()}
