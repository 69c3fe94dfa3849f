import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeId, suggestFlowId } from './ids';

void describe('id sanitising', () => {
  void it('follows the engine rule on the spec examples', () => {
    assert.equal(sanitizeId('My Step!'), 'my-step');
    assert.equal(sanitizeId('Order 1001'), 'order-1001');
    assert.equal(sanitizeId('flow@#$%123'), 'flow123');
    assert.equal(sanitizeId('@#$%'), '');
    assert.equal(sanitizeId(' -edge- '), 'edge');
  });

  void it('suggests flow ids that survive sanitising unchanged', () => {
    const id = suggestFlowId(['Hello Script'], 1783503120001, 0.5);
    assert.equal(id, sanitizeId(id));
    assert.match(id, /^hello-script-[0-9a-z]+$/);
    assert.notEqual(suggestFlowId(['a'], 1, 0.1), suggestFlowId(['a'], 1, 0.2));
    assert.match(suggestFlowId([], 1, 0), /^flow-/);
  });
});
