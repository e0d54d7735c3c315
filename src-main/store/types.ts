export * from '../../src-shared/results/runStore';
