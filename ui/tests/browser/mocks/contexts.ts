// The kubeconfig contexts' commands in the mocked IPC, over `state.contexts` (a ContextsView) and
// `state.contextTests` (what test_context answers per context name).
import type { BackendLink, BackendRef } from '../../../src/ipc/bindings.gen';
import type { Handlers } from '../mock-backend';
import { refuse } from '../mock-backend';

const isLink = ({ service, backend }: BackendRef) => (l: BackendLink) =>
  l.service === service && l.backend === backend;

export const contextsCommands: Handlers = {
  // A copy, as the real IPC would deliver: the page never shares the backend's objects.
  list_contexts: (_, state) => structuredClone(state.contexts),
  test_context: ({ name, operatorNamespace }, state) => {
    const answer = state.contextTests[name];
    if (!answer) return refuse('not_found', `context "${name}" is not defined`);
    if ('error' in answer) return Promise.reject(answer.error);
    return { ...answer, operatorNamespace: operatorNamespace ?? 'osmo-operator' };
  },
  add_kubeconfig_file: ({ path }, state) => {
    if (!path.startsWith('/') && !path.startsWith('~/')) {
      return refuse('invalid_input', `path: "${path}" is not an absolute path`);
    }
    const full = path.replace(/^~\//, '/home/admin/');
    state.contexts = {
      ...state.contexts,
      extraFiles: [...state.contexts.extraFiles, full],
      files: [...state.contexts.files, { path: full, origin: 'extra', state: 'loaded', error: null, contexts: 0 }],
    };
    return state.contexts;
  },
  remove_kubeconfig_file: ({ path }, state) => {
    state.contexts = {
      ...state.contexts,
      extraFiles: state.contexts.extraFiles.filter((p) => p !== path),
      files: state.contexts.files.filter((f) => f.path !== path),
    };
    return state.contexts;
  },
  link_backend: ({ backend, context, operatorNamespace }, state) => {
    operatorNamespace ??= 'osmo-operator';
    // The one refusal a test plays: a namespace with capitals and an underscore.
    if (!/^[a-z0-9-]+$/.test(operatorNamespace)) {
      return refuse('invalid_input', `operatorNamespace: "${operatorNamespace}" is not a valid namespace name`);
    }
    const others = state.contexts.links.filter((l) => !isLink(backend)(l));
    state.contexts = { ...state.contexts, links: [...others, { ...backend, context, operatorNamespace }] };
    return state.contexts;
  },
  unlink_backend: ({ backend }, state) => {
    state.contexts = { ...state.contexts, links: state.contexts.links.filter((l) => !isLink(backend)(l)) };
    return state.contexts;
  },
  set_current_context: ({ name }, state) => {
    const file = state.contexts.currentContextSource ?? '';
    state.contexts = {
      ...state.contexts,
      currentContext: name,
      contexts: state.contexts.contexts.map((c) => ({ ...c, isCurrent: c.name === name })),
    };
    return { file, backup: `${file}.bak-20261128T190000Z`, contexts: state.contexts };
  },
};
