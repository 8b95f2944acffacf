import { uuidv7 } from '@app/common/ids';
import { likeEscape, uuidv7Floor } from './log-query';

describe('uuidv7Floor', () => {
  it('sorts after every id of earlier milliseconds and before every id of later ones', () => {
    const at = new Date('2024-06-04T16:18:36.789Z');
    const floor = uuidv7Floor(at);
    expect(floor).toBe('018fe40b-9a75-7000-8000-000000000000');
    for (let i = 0; i < 50; i++) {
      expect(uuidv7(at.getTime() - 1) < floor).toBe(true);
      expect(uuidv7(at.getTime()) >= floor).toBe(true);
      expect(uuidv7(at.getTime() + 1) > floor).toBe(true);
    }
  });
});

describe('likeEscape', () => {
  it('takes %, _ and \\ literally', () => {
    expect(likeEscape('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});
