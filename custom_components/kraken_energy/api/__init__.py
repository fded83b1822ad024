"""Provider clients: plain asyncio code on an injected aiohttp session, free of Home Assistant."""
