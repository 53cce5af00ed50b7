"""PDF/UA-1 and PDF/A-2a, checked by page-validation (module `page`) for every file given.

Prints each failure with its rule and exits 1 if any file fails either profile; used by
tests/publishable.rs, which also runs `pdfua check` on each file.
"""
import sys

import page

failed = 0
for path in sys.argv[1:]:
    for profile in ("ua1", "2a"):
        report = page.validate_pdf(path, profile=profile)
        if not report.is_compliant or report.failures:
            failed += 1
            print(f"{path}: {profile}: {len(report.failures)} failure(s)")
            for f in report.failures:
                print(f"    {f.rule_id}: {f.message}")
sys.exit(1 if failed else 0)
