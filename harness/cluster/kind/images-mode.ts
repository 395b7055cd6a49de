// The --images choices, apart from the code that decides (which fetches from registries).
export type ImagesMode = 'auto' | 'pull' | 'build';
export const IMAGES_MODES: readonly ImagesMode[] = ['auto', 'pull', 'build'];
