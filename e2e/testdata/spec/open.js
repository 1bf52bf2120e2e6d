const handler = Plaid.create({ ... });

// Open Link
handler.open();
