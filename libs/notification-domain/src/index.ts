export * from './notification-input.js';
export * from './notification.js';
export * from './notification.decide.js';
export * from './notification-id.js';
export * from './render-message.js';
