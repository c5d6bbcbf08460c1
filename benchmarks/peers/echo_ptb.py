"""A minimal python-telegram-bot echo bot with the framework's default settings: it answers every
message with a fixed text. BOT_TOKEN and BOT_API_BASE_URL from the environment."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("echo")


def main() -> None:
    app = (
        Application.builder().token(os.environ["BOT_TOKEN"]).base_url(os.environ["BOT_API_BASE_URL"]).build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
