"""What members see: delivery.py (question → messages), formatting.py (answers within
Discord's limits), buttons.py (👍 👎 📚 🧹 and the 👎 form), pager.py (long lists)."""
