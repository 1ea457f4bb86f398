/** Engine version, written into every summary.json. Kept in step with package.json by a unit test. */
export const ENGINE_VERSION = '0.1.0';
