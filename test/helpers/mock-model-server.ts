/** The scripted model server lives in src/ (the demo uses it too); tests import it from here. */
export * from "../../src/mock-model/server.ts";
