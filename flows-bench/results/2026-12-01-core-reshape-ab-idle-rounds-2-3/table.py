import json,glob,statistics,collections
res=collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob('core-*.json')+glob.glob('../2026-12-01-core-reshape-ab-idle/core-*-1.json')):
    side=f.rsplit('/',1)[-1].split('-')[1]
    for r in json.load(open(f)):
        p=r['params']; key=(p['family'],int(p['dim']),int(p['batch']),r['benchmark'].split('.')[-1])
        res[key][side].append(r['primaryMetric']['score'])
print('| family | D | batch | method | before (best of rounds) | after (best) | after/before |')
print('| --- | --- | --- | --- | --- | --- | --- |')
ratios=collections.defaultdict(list)
for k in sorted(res):
    o=max(res[k]['old']); n=max(res[k]['new']) if res[k]['new'] else float('nan')
    ratios[k[0]].append(n/o)
    print('| %s | %d | %d | %s | %.1f (%s) | %.1f (%s) | %.2f |'%(k+(o,' '.join('%.0f'%v for v in res[k]['old']),n,' '.join('%.0f'%v for v in res[k]['new']),n/o)))
for f,v in ratios.items(): print(f, 'median', statistics.median(v), 'min', min(v), 'max', max(v))
