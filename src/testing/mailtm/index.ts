export { MailtmTestServer, startMailtmServer, MAILTM_RATE_LIMIT_TEXT, type MailtmServerOptions, type MailtmDeliverInput, type MailtmFault } from './server';
export { signMailtmToken, verifyMailtmToken, type MailtmTokenClaims, type MailtmTokenCheck } from './jwt';
export { MailtmRequestLog } from './requestLog';
export { MailtmFakeMailbox, mailtmSummary } from './fakeMailbox';
