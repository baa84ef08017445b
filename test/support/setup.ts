/**
 * Loaded by mocha before the test files (`require` in .mocharc.json and in `npm run test:tools`):
 * the suites run the program in the harness's suite mode (see `useSuiteMode` in test/support/harness.ts).
 */
import { useSuiteMode } from "./harness";

useSuiteMode();
