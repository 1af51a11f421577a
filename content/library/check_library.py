"""Check the starter content in this folder against /work/helpers/SCHEMA-library.md.

Run: .venv/bin/python content/library/check_library.py  (prints counts, then OK or the problems).
Required keys, vocabularies, unique slugs, tool/case cross-references, lengths that fit the
library models, and the minimum counts (16 tools, 12 cases, 40 resources, 2 briefings per series).
"""
import yaml, glob, os, re, sys, datetime
base=os.path.dirname(os.path.abspath(__file__))
SECT={'government','business','non-profit'}
ISS={'health','environment','transport','education','community-revitalisation','infrastructure','parks-and-open-space','housing','economic-development','public-safety'}
MOD={'public-private-partnership','collective-impact','collaborative-governance','corporate-non-profit','community-partnership','research-partnership'}
TYP={'article','report','tool','case','book','multimedia'}
SER={'monthly','research-to-practice','researcher-insights'}
slugre=re.compile(r'^[a-z0-9]+(-[a-z0-9]+)*$')
err=[]
def need(d,keys,where):
    for k in keys:
        if k not in d: err.append(f'{where}: missing {k}')
def nonempty_str(v): return isinstance(v,str) and v.strip()
tk=yaml.safe_load(open(f'{base}/toolkit.yaml'))
stages=tk['stages']
if [s['slug'] for s in stages]!=['diagnosis','design','implementation','assessment']: err.append('stage order')
tools={}
for s in stages:
    need(s,['slug','title','question','summary','tools'],s['slug'])
    if len(s['question'])>250 or len(s['title'])>100: err.append(s['slug']+' too long')
    for t in s['tools']:
        w='tool '+t.get('slug','?')
        need(t,['slug','title','definition','why','questions','example','example_case'],w)
        if t['slug'] in tools: err.append('dup tool '+t['slug'])
        if not slugre.match(t['slug']): err.append('bad slug '+t['slug'])
        tools[t['slug']]=t
        if not 3<=len(t['questions'])<=5: err.append(w+' questions count')
        if len(t['definition'])>300 or len(t['title'])>150: err.append(w+' too long')
        for k in ['definition','why','example','title']:
            if not nonempty_str(t[k]): err.append(w+' empty '+k)
if len(tools)<16: err.append('tools<16')
cases={}
for f in sorted(glob.glob(f'{base}/cases/*.yaml')):
    c=yaml.safe_load(open(f)); w='case '+os.path.basename(f)
    need(c,['slug','title','summary','story','issue_area','city','state','start_year','end_year','sectors','partners','partnership_model','tools','outcomes','sources','starter'],w)
    if c['slug']+'.yaml'!=os.path.basename(f): err.append(w+' slug/file mismatch')
    if c['slug'] in cases: err.append('dup case')
    cases[c['slug']]=c
    if c['issue_area'] not in ISS: err.append(w+' issue')
    if c['partnership_model'] not in MOD: err.append(w+' model')
    if not set(c['sectors'])<=SECT: err.append(w+' sectors')
    if not re.match(r'^[A-Z]{2}$',c['state']): err.append(w+' state')
    if c['start_year'] is not None and not isinstance(c['start_year'],int): err.append(w+' start_year')
    if len(c['title'])>200: err.append(w+' title too long')
    if c['end_year'] is not None and not isinstance(c['end_year'],int): err.append(w+' end_year')
    if not 2<=len(c['tools'])<=5: err.append(w+' tools count')
    for t in c['tools']:
        if t not in tools: err.append(w+' unknown tool '+t)
    for p in c['partners']:
        need(p,['name','sector','role'],w+' partner')
        if len(p['name'])>200 or len(p['role'])>300: err.append(w+' partner too long')
        if p.get('sector') not in SECT: err.append(w+' partner sector')
        if p.get('sector') not in c['sectors']: err.append(w+' partner sector not in sectors '+p['name'])
    for o in c['outcomes']:
        need(o,['text','figure'],w+' outcome')
        if len(o['text'])>300 or len(str(o['figure']))>100: err.append(w+' outcome too long')
    for s in c['sources']:
        need(s,['title','publisher','year'],w+' source')
        if 'url' in s and not s['url'].startswith('https://'): err.append(w+' url')
    if c['starter'] is not True: err.append(w+' starter')
    npar=len([p for p in c['story'].split('\n\n') if p.strip()])
    if not 4<=npar<=8: err.append(f'{w} story paragraphs {npar}')
if len(cases)<12: err.append(f'cases {len(cases)}<12')
for t in tools.values():
    if t['example_case'] not in cases: err.append('tool example_case missing '+t['slug']+' -> '+t['example_case'])
    elif t['slug'] not in cases[t['example_case']]['tools']: err.append('case does not list tool used as its example: '+t['example_case']+' '+t['slug'])
print('tools',len(tools),'per stage',[len(s['tools']) for s in stages],'cases',len(cases))
issues={}
for c in cases.values(): issues.setdefault(c['issue_area'],[]).append(c['slug'])
print('issues',{k:len(v) for k,v in issues.items()})
usage={t:0 for t in tools}
for c in cases.values():
    for t in c['tools']: usage[t]+=1
print('tool usage',usage)
p=f'{base}/resources.yaml'
rslugs=set()
if os.path.exists(p):
    rs=yaml.safe_load(open(p))['resources']
    for r in rs:
        w='resource '+r.get('slug','?')
        need(r,['slug','title','authors','publisher','year','type','sectors','partnership_models','issue_areas','summary','starter'],w)
        if r['slug'] in rslugs: err.append('dup resource '+r['slug'])
        if not slugre.match(r['slug']): err.append('bad slug '+r['slug'])
        rslugs.add(r['slug'])
        if r['type'] not in TYP: err.append(w+' type')
        if len(r['title'])>300 or len('; '.join(r['authors']))>500 or len(r['publisher'])>200: err.append(w+' too long')
        if r['year']>2026 or r['year']<1800: err.append(w+' year')
        n=len([x for x in re.split(r'(?<=[.!?])\s+', r['summary'].strip()) if x]);
        if not 2<=n<=4: err.append(f'{w} summary sentences {n}')
        if not set(r['sectors'])<=SECT: err.append(w+' sectors')
        if not set(r['partnership_models'])<=MOD: err.append(w+' models')
        if not set(r['issue_areas'])<=ISS: err.append(w+' issues')
        if not isinstance(r['year'],int): err.append(w+' year')
        if not isinstance(r['authors'],list): err.append(w+' authors')
        if r['starter'] is not True: err.append(w+' starter')
    print('resources',len(rs),'types',{t:sum(1 for r in rs if r['type']==t) for t in TYP})
    if len(rs)<40: err.append('resources<40')
p=f'{base}/briefings.yaml'
if os.path.exists(p):
    bs=yaml.safe_load(open(p))['briefings']; seen=set()
    for b in bs:
        w='briefing '+b.get('slug','?')
        need(b,['slug','series','title','date','summary','body','of_interest_to','starter'],w)
        if b['slug'] in seen: err.append('dup briefing')
        seen.add(b['slug'])
        if b['series'] not in SER: err.append(w+' series')
        if len(b['title'])>250: err.append(w+' title too long')
        if not isinstance(b['date'],datetime.date): err.append(w+' date')
        if not set(b['of_interest_to'])<=SECT: err.append(w+' sectors')
        if b['series']=='research-to-practice':
            need(b,['takeaways','article'],w)
            if not 3<=len(b.get('takeaways',[]))<=5: err.append(w+' takeaways')
            need(b.get('article',{}),['title','authors','publisher','year'],w+' article')
            a=b.get('article',{})
            if os.path.exists(f'{base}/resources.yaml') and not any(r['title']==a.get('title') for r in rs): err.append(w+' article not in resources')
        else:
            if 'article' in b: err.append(w+' article on wrong series')
        if b['series']=='researcher-insights':
            need(b,['researcher'],w); need(b.get('researcher',{}),['name','affiliation'],w+' researcher')
        elif 'researcher' in b: err.append(w+' researcher on wrong series')
    print('briefings',len(bs),{s:sum(1 for b in bs if b['series']==s) for s in SER})
    for s in SER:
        if sum(1 for b in bs if b['series']==s)<2: err.append('series<2 '+s)
print('ERRORS' if err else 'OK'); [print(' -',e) for e in err]
