import gc
import logging
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
        logging.getLogger(__name__).warning("search warm-up skipped", exc_info=True)


def _warm_workflows() -> None:
    """Parse the BPMN processes and the 秒批 decision tables once, before the first request."""
    try:
        from cases.instant import DECISIONS, table_for
        from cases.workflow import PROCESS_BY_KIND, _spec

        for name in {"standard", *PROCESS_BY_KIND.values()}:
            _spec(name)
        for path in DECISIONS.glob("*.dmn"):
            table_for(path.stem)
    except Exception:
        logging.getLogger(__name__).warning("workflow warm-up skipped", exc_info=True)


_warm_search()
_warm_workflows()
# Keep what start-up built (dictionaries, vocabulary, process specs) out of every garbage
# collection, and shared copy-on-write between forked workers.
gc.collect()
gc.freeze()
