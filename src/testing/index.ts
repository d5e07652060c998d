/**
 * rxwire/testing: faithful local servers for sources that cannot be reached
 * from a test machine. They drive rxwire's own tests and demo, and users' tests.
 */
export * from './mailtm';
export * from './discord';
export * from './stoat';
export * from './mezon';
