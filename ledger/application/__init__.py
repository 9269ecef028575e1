"""The application layer: the `Ledger`, the only place that changes state, and what runs it.

`ledger.py` holds the Ledger (one transaction per command, retries, request records); its command
groups sit beside it (`setup.py`, `workflows.py`, `importing.py`), with the group commit and the
writer lock under it, the file import (`bulk_import.py`, `import_register.py`,
`import_commands.py`), and the wiring from settings (`bootstrap.py`), backups and the demo books.
See docs/concepts/architecture.md for the layers and the direction of imports.
"""

from ledger.application.ledger import Ledger, shanghai_today
from ledger.application.recorded import Recorded

__all__ = ["Ledger", "Recorded", "shanghai_today"]
