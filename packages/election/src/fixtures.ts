/** The example vote definitions shipped with the project (IATSE-style; delegate counts illustrative). */
import ratifyBasicAgreement from '../fixtures/ratify-basic-agreement.json' with { type: 'json' };
import strikeAuthorization from '../fixtures/strike-authorization.json' with { type: 'json' };
import twoAgreements from '../fixtures/two-agreements.json' with { type: 'json' };
import type { VoteDefinitionInput } from './definition.ts';

export const exampleVotes: Readonly<Record<'ratifyBasicAgreement' | 'strikeAuthorization' | 'twoAgreements', VoteDefinitionInput>> = {
  ratifyBasicAgreement: ratifyBasicAgreement as VoteDefinitionInput,
  strikeAuthorization: strikeAuthorization as VoteDefinitionInput,
  twoAgreements: twoAgreements as VoteDefinitionInput,
};
