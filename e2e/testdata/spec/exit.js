const handler = Plaid.create({ ... });

// Graceful exit - Link may display a confirmation screen
// depending on how far the user is in the flow
handler.exit();
