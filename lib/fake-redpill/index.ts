export { startFakeRedpill, type FakeRedpill, type FakeRedpillOptions } from "./server";
export type { ReceivedRequest } from "./log";
export {
  fakeBehaviorSchema,
  parseDirective,
  stripDirectives,
  FAKE_ERROR_STATUSES,
  type FakeBehavior,
  type FakeErrorStatus,
} from "./behaviors";
export { FAKE_REDPILL_MODELS, fakeModelSchema, requiresMaxCompletionTokens, type FakeModel } from "./catalog";
export { countPromptTokens } from "./request";
export { splitIntoPieces, type ReplyStyle } from "./replies";
export { fakeCatalog, fakeCatalogMax } from "./large-catalog";
export {
  ATTESTATION_FAULTS,
  REPLY_FAULTS,
  fakeAppCompose,
  fakeSigner,
  type AttestationFault,
  type ReplyFault,
} from "./attestation";
