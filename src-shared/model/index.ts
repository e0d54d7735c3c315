export * from './design';
export * from './findings';
export * from './migrations';
export * from './connect';
export * from './validate';
export * from './load';
export * from './flows';
export * from './jsonSchema';
