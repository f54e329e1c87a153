export * from './dependency-plan.js';
export * from './init-project.js';
export * from './installed-packages.js';
export * from './package-tarball.js';
export * from './project-name.js';
export * from './tar-gz.js';
