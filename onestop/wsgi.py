import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings.demo")
application = get_wsgi_application()


def _warm_search() -> None:
    """Load the segmenter, pinyin tables and search vocabulary before the first request."""
    try:
        from catalog.search.engine import warm

        warm()
    except Exception:  # an unmigrated database must not stop the server
        import logging

        logging.getLogger(__name__).warning("search warm-up skipped", exc_info=True)


_warm_search()
# Keep what start-up built (dictionaries, vocabulary) out of every garbage collection, and
# shared copy-on-write between forked workers.
gc.collect()
gc.freeze()
