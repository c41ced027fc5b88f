// For profiling only: runs a bench server module, exiting on SIGINT so --cpu-prof writes its profile.
process.on('SIGINT', () => process.exit(0));
await import(process.argv[2] ?? './emulator.ts');
