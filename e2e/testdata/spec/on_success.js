const handler = Plaid.create({
 ...,
 onSuccess: (public_token, metadata) => {
 fetch('//yourserver.com/exchange_public_token', {
 method: 'POST',
 body: {
 public_token: public_token,
 accounts: metadata.accounts,
 institution: metadata.institution,
 link_session_id: metadata.link_session_id,
 },
 });
 }
});
