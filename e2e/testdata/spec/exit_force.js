const handler = Plaid.create({ ... });

// Force exit - Link exits immediately
handler.exit({ force: true });
