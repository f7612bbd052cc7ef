export * from './allowances';
export * from './calendar';
export * from './enterprises';
export * from './names';
export * from './population';
export * from './random';
export * from './regions';
export * from './world';
