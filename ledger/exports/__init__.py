"""What fundbook hands to tools it did not write: the JSONL log (ledger.audit.log), and the same
history as an hledger journal and a Beancount file (books.py builds it, one module per format)."""
